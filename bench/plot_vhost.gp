# SPDX-License-Identifier: GPL-2.0
# xbr-vhost against its fair peer: guest TX and RX Mpps per back-end path,
# median of interleaved rounds (bench/results-vhost.md has the spread).
# gnuplot -e "data='plot-vhost.dat'; out='results-vhost.png'" plot_vhost.gp
set terminal pngcairo size 900,450 font ",11"
set output out
set title "vhost-user back-ends, 64 B frames from virtio_user: delivered Mpps (median of rounds)" noenhanced
set ylabel "Mpps"
set grid ytics
set yrange [0:*]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set key outside right top noenhanced
set xtics noenhanced
plot for [i = 2:*] data using i:xtic(1) title columnheader(i)
