"""The team's folder social/: teasers per network, their pictures, the plan, the calendar and the exports."""
