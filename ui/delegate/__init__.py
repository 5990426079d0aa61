"""The delegate app: the agenda on a tablet, following the meeting live."""
