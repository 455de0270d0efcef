"""The publishing calendar as files: .ics to subscribe to, CSV and JSON for schedulers, an HTML page."""
