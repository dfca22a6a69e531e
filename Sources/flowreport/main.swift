// placeholder until the CLI issue lands
print("flowreport")
