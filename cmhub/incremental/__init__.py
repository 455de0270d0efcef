"""What need not be made again: the build cache, whether a build has anything to do, forked workers."""
