"""The social networks' own rules: how each one counts a post's length, and the limits it enforces."""
