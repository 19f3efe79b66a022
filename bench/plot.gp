# SPDX-License-Identifier: GPL-2.0
# Mpps per variant (64 B, 1 flow): median bar, min-max whisker.
# gnuplot -e "data='plot.dat'; out='results.png'" plot.gp
set terminal pngcairo size 900,500 font ",11"
set output out
set title "64 B frames, 1 flow: received Mpps (median of interleaved rounds, min-max)"
set ylabel "Mpps"
set yrange [0:*]
set grid ytics
set style fill solid 0.7 border -1
set boxwidth 0.6
set xtics rotate by -30
unset key
plot data using 0:2:xtic(1) with boxes lc rgb "#4472c4", \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt 7 ps 0, \
     '' using 0:2:(sprintf("%.2f", $2)) with labels offset 0,1.2
