"""Writers: each turns the canonical model into one output format."""
