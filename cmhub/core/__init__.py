"""The ground floor: problems and errors, dates and the one clock, URL rules, limits, languages, pictures' sizes."""
