"""The sandbox's behaviour, one module per domain, each on the shared store and clock.

Bodies arrive validated by their wire models; the services check them against the stored
world (references, names, run state) before anything is written, so a refused request
changes nothing.
"""
