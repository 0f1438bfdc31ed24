"""Exports beyond the screen: files a user takes away (the PowerPoint deck)."""
