"""Admin registrations (filled in by its owner)."""
