"""One loader per corpus family; each turns files on disk into `User`s (or prompts, or simulated users)."""
