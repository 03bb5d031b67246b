"""Side-by-side measurements of yuqing against a raw-Temporal workflow of the same shape.

Run ``scripts/bench_speed.py``; nothing here is imported by the product or timed in tests.
"""
