"""What the assistant knows: the FAQ entries (entries/), the report they come from (source/),
categories, places and reply templates, the entries' import, search and versions, and the training
data made from them."""
