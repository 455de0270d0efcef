"""The use cases behind the command line, one module per verb: build, syndicate, init, new, retire, serve."""
