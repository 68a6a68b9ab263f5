"""timeline: a diplomatic event timeline visualizer."""

import os

__version__ = "0.1.0"

# Arrow's own allocator (mimalloc) keeps what a read freed for later reads, which a process that
# reads its file once never makes: a restart at 700,000 events peaked 100 MB higher with it. Read
# by pyarrow when it is first imported (always after this: the package imports it lazily), and
# left alone when the environment already chooses.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
