"""Authorship: write as the user (e-mails, news, essays, blogs); spec and evaluation."""
