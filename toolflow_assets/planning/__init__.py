"""Stage 4: dialogue plans — structured, validated per-turn plans with argument provenance."""
