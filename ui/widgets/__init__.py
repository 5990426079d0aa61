"""Widgets shared by the delegate app and the secretary console."""
