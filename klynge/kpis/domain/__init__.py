"""Pure rules of the KPIs (no Django): keys, counting keys, shares, trajectories and the
difference between a frozen and a current figure."""
