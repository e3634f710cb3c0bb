"""Stage 1: read tool corpora in many formats, normalize to `Tool`, quarantine what is bad."""
