"""PDF reader: pdfplumber page objects -> plain page records -> the neutral layout."""
