// A small design for yosys: an 8-bit counter with load and enable, a 4-entry register file,
// and a combinational ALU with a registered output.
module counter (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    input  wire       load,
    input  wire [7:0] d,
    output reg  [7:0] q,
    output wire       wrap
);
    always @(posedge clk) begin
        if (rst)       q <= 8'd0;
        else if (load) q <= d;
        else if (en)   q <= q + 8'd1;
    end
    assign wrap = en & (q == 8'hff);
endmodule

module alu (
    input  wire [2:0] op,
    input  wire [7:0] a,
    input  wire [7:0] b,
    output reg  [7:0] y,
    output wire       zero
);
    always @(*) begin
        case (op)
            3'd0: y = a + b;
            3'd1: y = a - b;
            3'd2: y = a & b;
            3'd3: y = a | b;
            3'd4: y = a ^ b;
            3'd5: y = a << b[2:0];
            3'd6: y = a >> b[2:0];
            default: y = (a < b) ? 8'd1 : 8'd0;
        endcase
    end
    assign zero = (y == 8'd0);
endmodule

module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       we,
    input  wire [1:0] waddr,
    input  wire [1:0] raddr_a,
    input  wire [1:0] raddr_b,
    input  wire [2:0] op,
    input  wire [7:0] wdata,
    output reg  [7:0] result,
    output wire [7:0] count,
    output wire       flag
);
    reg [7:0] regs [0:3];
    wire [7:0] y;
    wire zero, wrap;

    always @(posedge clk) begin
        if (we) regs[waddr] <= wdata;
        result <= y;
    end

    alu u_alu (.op(op), .a(regs[raddr_a]), .b(regs[raddr_b]), .y(y), .zero(zero));
    counter u_cnt (.clk(clk), .rst(rst), .en(zero), .load(we & (waddr == 2'd3)), .d(wdata),
                   .q(count), .wrap(wrap));
    assign flag = wrap | zero;
endmodule
