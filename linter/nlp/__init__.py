"""The English spaCy pipeline: finding and loading it, and its tables read without running it."""
