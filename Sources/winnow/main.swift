import WinnowPipeline
print("placeholder")
