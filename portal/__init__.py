"""Werkportaal: employer portal and vacancy marketplace for Dutch municipalities."""
