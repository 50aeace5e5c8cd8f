"""The full-screen Textual app: screens, widgets and the one factory that builds it."""
