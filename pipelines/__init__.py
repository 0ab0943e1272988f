import os

from pipelines import worker

# A spawned extraction worker imports this package before anything else: one whose build was killed while it started
# dies now, not after the imports it would finish holding the build's pipes (pipelines.worker).
if os.environ.get(worker.BUILD_PID_VARIABLE, "").isdigit():
    worker.die_with_build(int(os.environ[worker.BUILD_PID_VARIABLE]))
