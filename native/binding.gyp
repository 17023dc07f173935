{
  "targets": [
    {
      "target_name": "dfa_native",
      "sources": [
        "src/addon.c",
        "src/matmul.c",
        "src/elementwise.c",
        "src/reduce.c",
        "src/softmax.c",
        "src/gather.c",
        "src/optim.c",
        "src/parallel.c",
        "src/transformer.c",
        "src/clip.c",
        "src/recsys.c",
        "src/nerf.c",
        "src/conv.c",
        "src/conv_tiles.c",
        "src/depthwise.c",
        "src/pool.c"
      ],
      "include_dirs": ["/usr/include/x86_64-linux-gnu/openblas-pthread", "/usr/include/openblas"],
      "cflags": ["-O3", "-std=c11", "-march=native", "-fno-trapping-math", "-fno-math-errno", "-Wall"],
      "libraries": ["-lopenblas", "-lm", "-lpthread"]
    }
  ]
}
