"""Getting results out: single figures as images (``figures``), whole reports (``report``) and decks (``deck``)."""
