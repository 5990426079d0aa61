"""The secretary console: meetings, the agenda editor, and moving the meeting along."""
