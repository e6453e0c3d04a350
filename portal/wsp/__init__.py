"""Werkgeversservicepunt: approving employer organisations, inviting people."""
