"""TrueFoundry's side: keys, access, registry and manifests, limits, timeouts, faults, error bodies."""
