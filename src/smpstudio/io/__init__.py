"""Edge: reading user input (case files) and writing output folders."""
