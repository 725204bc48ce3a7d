"""Pure rules of the reports (no Django): the excellence score and report arithmetic."""
