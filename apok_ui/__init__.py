"""APOK's application core: settings, database, services, events, auth, printing and shared UI components."""
