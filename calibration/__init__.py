"""Reading and checking event logs, and learning the process model from them."""
