"""Translations of what editors write: the one representation of "not translated" (texts.py),
where each field stands in each language (status.py), Simplified ↔ Traditional conversion
(conversion.py), and how a reader sees a text that is not in their language (reading.py).
Depends only on the models."""
