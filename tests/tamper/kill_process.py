import os

os.kill(os.getppid(), 9)
os._exit(0)
