"""The pure extraction step: an article's text in, rows with evidence out. No database here."""
