"""The demo partnership: realistic, varied, generated from a fixed seed, loaded idempotently."""
