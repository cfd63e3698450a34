"""The sandbox's HTTP routes: one router per resource group, plus the control surface."""
