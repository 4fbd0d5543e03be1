"""One answerer per intent: amount, lookup, comparison, validity, overview, refusal."""
