// placeholder until benchmarks land
print("flowbench")
