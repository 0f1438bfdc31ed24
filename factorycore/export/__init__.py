"""Getting results out: single figures as images (``figures``) and whole reports (``report``)."""
