"""Readers' feedback on guides: "was this helpful?" per guide and "report a problem" per step,
and the editors' inbox of it (issue 15). No personal data is kept: no address, no user agent."""
