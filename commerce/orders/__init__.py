"""Orders: one per store per checkout, moved through an enforced state machine with history."""
