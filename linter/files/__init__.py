"""Finding the files to lint and reading their bytes safely."""
