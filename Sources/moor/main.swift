print("moor")
