"""Leaf helpers that know no domain app: mail, CSV, form errors, flash messages, charts,
small-count suppression, crispy layout text, the printing engine, template tags and test
helpers. Every app may import core; core imports only Django and third-party libraries."""
