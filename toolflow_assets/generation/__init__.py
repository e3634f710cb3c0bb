"""Stage 5: dialogues — generated turn by turn from a plan by user, assistant and tool agents."""
