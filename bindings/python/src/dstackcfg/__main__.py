"""``python -m dstackcfg check|normalize|fmt ...``"""

import sys

from ._cli import main

sys.exit(main())
