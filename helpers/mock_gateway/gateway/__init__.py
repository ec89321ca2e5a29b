"""TrueFoundry's side: keys, access, registry, manifests, limits, timeouts, faults, errors."""
