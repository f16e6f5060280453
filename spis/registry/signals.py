from django.dispatch import Signal

# Sent after `spis demo` has built the synthetic registry, so that apps above the registry (campaigns,
# outreach) can add their demo records without the registry importing them. Arguments: actor.
demo_built = Signal()
