"""The Education, Health and Care needs assessment request: readiness and bundle."""
